// Standalone simulated Microsoft cloud (filled in by the simulated-cloud work).
process.stderr.write('expel-track sim: not available in this build\n');
process.exitCode = 1;
