import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Keys whose values never reach a log: secrets and personal fields. Matched case-insensitively
 * after removing `_` and `-`, at any depth, so `user.Email`, `first_name` and
 * `headers.set-cookie` are all caught without listing every path.
 */
const sensitiveKeys = new Set(
  [
    'password', 'newpassword', 'currentpassword', 'passwordhash', 'secret', 'totpsecret', 'token', 'accesstoken',
    'refreshtoken', 'apikey', 'apitoken', 'authorization', 'cookie', 'setcookie', 'xcsrftoken', 'csrftoken', 'sessiontoken',
    'recoverycode', 'recoverycodes', 'code', 'otp', 'privatekey', 'rootkey', 'datakey', 'databaseurl', 'databaseappurl',
    'connectionstring', 'email', 'emailaddress', 'firstname', 'lastname', 'fullname', 'displayname', 'phone', 'phonenumber',
    'mobile', 'address', 'addressline1', 'addressline2', 'street', 'postaladdress', 'dateofbirth', 'dob', 'birthdate',
    'notes', 'note',
  ],
);

const redactedMarker = '[redacted]';
const maxDepth = 8;

function isSensitiveKey(key: string): boolean {
  return sensitiveKeys.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/** Returns a copy of `value` with every sensitive key's value replaced; leaves `value` untouched. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > maxDepth || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = isSensitiveKey(key) ? redactedMarker : redact(inner, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  readonly level: string;
  readonly name?: string;
  /** Where lines go; standard output by default. Tests pass a stream to read what was written. */
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      ...(options.name === undefined ? {} : { name: options.name }),
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redact(object) as Record<string, unknown>,
      },
      serializers: { err: pino.stdSerializers.err },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
