// Serves a built site (a static folder) on 127.0.0.1, as any static host would:
// /x, /x.html and /x/ (index.html) all find their file. Usage: tsx scripts/serve.ts dist [port]
import {createReadStream} from "node:fs";
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

async function findFile(root: string, urlPath: string): Promise<{path: string; size: number} | undefined> {
  const path = join(root, normalize(decodeURIComponent(urlPath)).replace(/^(\.\.[/\\])+/, ""));
  if (!path.startsWith(root)) return undefined;
  for (const candidate of [path, `${path}.html`, join(path, "index.html")]) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return {path: candidate, size: info.size};
  }
  return undefined;
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
    response.writeHead(200, {
      "content-type": types[extname(file.path)] ?? "application/octet-stream",
      "content-length": file.size
    });
    createReadStream(file.path).pipe(response);
    onServe?.(file.path, file.size);
  });
  return new Promise((resolveServer) => {
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const actualPort = typeof address === "object" && address ? address.port : port;
      resolveServer({server, url: `http://127.0.0.1:${actualPort}/`});
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir = "dist", port = "3000"] = process.argv.slice(2);
  const {url} = await serve(dir, Number(port));
  console.log(`Serving ${dir}/ on ${url} (Ctrl-C to stop)`);
}
