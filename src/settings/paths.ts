// Where expel-track keeps its data (the roster database, exports) by platform convention.
// Settings live elsewhere (conf's config directory); see settings.ts.
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'expel-track';

/** The per-user data folder: XDG on Linux, Application Support on macOS, LOCALAPPDATA on Windows. */
export function dataDirectory(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const home = env.HOME || os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA || path.win32.join(env.USERPROFILE || home, 'AppData', 'Local');
    return path.win32.join(local, APP_DIR_NAME);
  }
  // The XDG spec says relative values are invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'share');
  return path.join(base, APP_DIR_NAME);
}

/** Expands a leading `~` and makes the path absolute (relative to the working directory). */
export function resolveUserPath(input: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || os.homedir();
  const expanded = input === '~' ? home : input.startsWith('~/') ? path.join(home, input.slice(2)) : input;
  return path.resolve(expanded);
}

/**
 * The per-user settings folder, following the same conventions as conf's env-paths (without its
 * `-nodejs` suffix): XDG_CONFIG_HOME or ~/.config on Linux, ~/Library/Preferences on macOS,
 * %APPDATA%\expel-track\Config on Windows. Computed here so the path can be shown even when the
 * file in it is broken.
 */
export function configDirectory(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const home = env.HOME || os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Preferences', APP_DIR_NAME);
  if (platform === 'win32') {
    const roaming = env.APPDATA || path.win32.join(env.USERPROFILE || home, 'AppData', 'Roaming');
    return path.win32.join(roaming, APP_DIR_NAME, 'Config');
  }
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config');
  return path.join(base, APP_DIR_NAME);
}
