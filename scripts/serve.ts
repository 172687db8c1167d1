// Serves a built site (a static folder) on 127.0.0.1, as any static host would:
// /x, /x.html and /x/ (index.html) all find their file. Usage: tsx scripts/serve.ts dist [port]
import {createReadStream, fstatSync, readFileSync} from "node:fs";
import {stat} from "node:fs/promises";
import {createServer, type Server} from "node:http";
import {extname, join, normalize, resolve} from "node:path";
import {fileURLToPath} from "node:url";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".arrow": "application/vnd.apache.arrow.stream",
  ".parquet": "application/vnd.apache.parquet",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8"
};

/**
 * Whether Framework named a built file by its content's hash (x.0123abcd.js; an npm module's 0123abcd.js under its
 * versioned folder): a build gives changed content a new name, so the file at such a name never changes.
 */
export const contentHashed = (path: string) => /[./][0-9a-f]{8}\.[a-z0-9]+$/.test(path);

async function findFile(
  root: string,
  urlPath: string
): Promise<{path: string; size: number; modified: number} | undefined> {
  const path = join(root, normalize(decodeURIComponent(urlPath)).replace(/^(\.\.[/\\])+/, ""));
  if (!path.startsWith(root)) return undefined;
  for (const candidate of [path, `${path}.html`, join(path, "index.html")]) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return {path: candidate, size: info.size, modified: info.mtimeMs};
  }
  return undefined;
}

/**
 * The first and last byte a Range header asks for (RFC 9110 §14.1.2: one range, or a suffix
 * of the file); undefined without one, or with one that is not a single byte range (the
 * whole file is sent); "unsatisfiable" when it starts past the end.
 */
export function byteRange(header: string | undefined, size: number): [number, number] | "unsatisfiable" | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? "");
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    return suffix === 0 ? "unsatisfiable" : [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return "unsatisfiable";
  return end < start ? undefined : [start, end];
}

/**
 * Starts serving `dir`; resolves once listening. Port 0 picks a free port. `onServe` hears
 * of every file sent (benchmarks count bytes there, workers' requests included).
 */
export function serve(
  dir: string,
  port = 0,
  onServe?: (path: string, bytes: number) => void
): Promise<{server: Server; url: string}> {
  const root = resolve(dir);
  const server = createServer(async (request, response) => {
    const file = await findFile(root, new URL(request.url ?? "/", "http://localhost").pathname);
    if (!file) {
      response.writeHead(404, {"content-type": "text/plain"}).end("not found");
      return;
    }
    // As a static host does: a file named by its content's hash is kept by the browser without asking again, so a page
    // opened after another fetches only the modules and data the first did not (about 140 modules on some pages, which
    // a browser fetches six at a time over HTTP/1.1). Any other file (the pages, DuckDB-WASM's modules) the browser
    // keeps and asks whether it changed (a 304 when not), so a rebuilt site is seen at once and an unchanged
    // DuckDB-WASM module is neither sent nor compiled again.
    const etag = `"${file.size.toString(36)}-${Math.round(file.modified).toString(36)}"`;
    const headers = {
      "content-type": types[extname(file.path)] ?? "application/octet-stream",
      "cache-control": contentHashed(file.path) ? "public, max-age=31536000, immutable" : "no-cache",
      "accept-ranges": "bytes",
      etag
    };
    if (request.headers["if-none-match"] === etag) {
      response.writeHead(304, headers).end();
      return;
    }
    // As a static host does, a byte range when asked for one: DuckDB-WASM reads a Parquet file's footer, then its columns.
    const range = byteRange(request.headers.range, file.size);
    if (range === "unsatisfiable") {
      response.writeHead(416, {...headers, "content-range": `bytes */${file.size}`}).end();
      return;
    }
    const [start, end] = range ?? [0, file.size - 1];
    const length = Math.max(0, end - start + 1);
    response.writeHead(range ? 206 : 200, {
      ...headers,
      "content-length": length,
      ...(range ? {"content-range": `bytes ${start}-${end}/${file.size}`} : {})
    });
    if (request.method === "HEAD" || length === 0) response.end();
    else createReadStream(file.path, {start, end}).pipe(response);
    onServe?.(file.path, request.method === "HEAD" ? 0 : length);
  });
  return new Promise((resolveServer) => {
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const actualPort = typeof address === "object" && address ? address.port : port;
      resolveServer({server, url: `http://127.0.0.1:${actualPort}/`});
    });
  });
}

/**
 * Stops `server` (and the process) when whoever started it is gone: on SIGTERM, SIGHUP or
 * SIGINT; when stdin, a pipe or socket from the parent, closes; or when the parent process
 * exits (the process is handed to another parent: checked every `pollMs`). A server left
 * behind would hold its port after `npm start` ended. stdin that is a terminal or a file
 * (such as /dev/null) is not watched: the signals cover a closed terminal.
 */
export function stopWithParent(server: Server, pollMs = 500): void {
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`serve: stopping (${why})`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
    // Whatever still holds the event loop open, the process ends.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  for (const signal of ["SIGTERM", "SIGHUP", "SIGINT"] as const) process.on(signal, () => stop(signal));
  const stdin = (() => {
    try {
      return fstatSync(0);
    } catch {
      return undefined; // no stdin at all
    }
  })();
  if (stdin?.isFIFO() || stdin?.isSocket()) {
    process.stdin.on("end", () => stop("stdin closed"));
    process.stdin.on("close", () => stop("stdin closed"));
    process.stdin.resume();
  }
  const parent = process.ppid;
  const lineage = startedBy();
  setInterval(() => {
    if (process.ppid !== parent || lineage.some((pid) => !alive(pid))) stop("its parent process ended");
  }, pollMs).unref();
}

/**
 * The processes this one was started through, parent first: under `npm start` (npm, the
 * shell running the script, tsx) up to and including npm; otherwise the parent alone.
 * Linux's /proc tells the chain; elsewhere only the parent is known.
 */
function startedBy(): number[] {
  const chain: number[] = [];
  for (let pid = process.ppid; pid > 1 && chain.length < 8;) {
    chain.push(pid);
    let stat: string, command: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf-8");
      command = readFileSync(`/proc/${pid}/cmdline`, "utf-8");
    } catch {
      return [process.ppid];
    }
    if (/(^|[/\\\0])npm(-cli\.js)?([\0 ]|$)/.test(command)) return chain;
    // Field 4 of /proc/<pid>/stat, after the parenthesised command name.
    pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  }
  return [process.ppid];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir = "dist", port = "3000"] = process.argv.slice(2);
  const {server, url} = await serve(dir, Number(port));
  stopWithParent(server);
  console.log(`Serving ${dir}/ on ${url} (Ctrl-C to stop)`);
}
