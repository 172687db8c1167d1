// Keeping a warehouse password out of every message: errors, progress lines, files.

/** The secrets a connection may carry: the URL's password (as written and decoded) and $PGPASSWORD. */
export function secretsOf(url: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const written = /^[a-z][a-z0-9+.-]*:\/\/[^/@?#]*?:([^/@?#]*)@/i.exec(url)?.[1];
  const secrets = [env.PGPASSWORD, written, written && safeDecode(written)];
  return [...new Set(secrets.filter((s): s is string => !!s))];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * text with every secret replaced by ***, and the password of any URL in it as well
 * (postgres://user:***@host), whether or not it is among the secrets.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/[^/@?#\s:]*):[^/@?#\s]*@/gi, "$1:***@");
  // Longest first, so that a secret containing another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.replaceAll(secret, "***");
  return out;
}
