// Every subcommand registers itself here; each lives in its own module so the
// command surface reads like the contract (../shared/spec/contract.md).
import type { Command } from 'commander';
import { registerDashboardCommand } from './dashboard.js';
import { registerCheckCommand } from './check.js';
import { registerTenantCommands } from './tenant.js';
import { registerConfigCommands } from './config.js';
import { registerAttestCommand } from './attest.js';
import { registerInstructionsCommand } from './instructions.js';
import { registerExportCommand } from './export.js';
import { registerDemoCommand } from './demo.js';

export function registerCommands(program: Command): void {
  registerDashboardCommand(program);
  registerCheckCommand(program);
  registerTenantCommands(program);
  registerConfigCommands(program);
  registerAttestCommand(program);
  registerInstructionsCommand(program);
  registerExportCommand(program);
  registerDemoCommand(program);
}
