// Temporary folders for a test file, removed once its tests are done (vitest evaluates this
// module anew for each test file, so the hook belongs to the file that imports it).
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll} from "vitest";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, {recursive: true, force: true});
});

export function temporaryDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
