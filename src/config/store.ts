/** Where config text comes from (files, S3), and a cheap fingerprint to notice changes (mtime, ETag). */
export interface ConfigStore {
  read(location: string): Promise<string>;
  fingerprint(location: string): Promise<string>;
}

/** Reads one config location's text. */
export type ReadText = ConfigStore['read'];
