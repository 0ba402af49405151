import path from 'node:path';

/**
 * Environment that points every place expel-track reads or writes into `dir`, so a test or a
 * benchmark never touches the user's real data, settings or home folder.
 */
export function isolatedEnv(dir: string, db: string, configDir: string): NodeJS.ProcessEnv {
  return {
    HOME: dir,
    XDG_DATA_HOME: path.join(dir, 'data'),
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
    EXPEL_TRACK_DB: db,
    EXPEL_TRACK_CONFIG_DIR: configDir,
    NO_COLOR: '1',
  };
}
