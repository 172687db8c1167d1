// npm start's server (scripts/serve.ts) stops with whoever started it: a signal, its stdin
// closing, or its parent process ending, so that no server is left holding the port.
import {spawn, type ChildProcess} from "node:child_process";
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {connect} from "node:net";
import {afterEach, describe, expect, it} from "vitest";
import {byteRange, contentHashed, serve} from "../scripts/serve.js";
import {temporaryDirectory} from "./tempDir.js";

const site = temporaryDirectory("serve-");
writeFileSync(join(site, "index.html"), "<p>site</p>");
writeFileSync(join(site, "chart.0123abcd.js"), "export {};");
const serveArgs = ["--import", "tsx", "scripts/serve.ts", site, "0"];

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** Starts `command` and resolves with the URL the server prints. */
function start(command: string, args: string[], stdin: "pipe" | "ignore"): Promise<{child: ChildProcess; url: URL}> {
  const child = spawn(command, args, {stdio: [stdin, "pipe", "pipe"]});
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({child, url: new URL(url)});
    });
    child.on("exit", (code) => reject(new Error(`exited (${code}) before serving: ${out}`)));
  });
}

/** Whether something accepts connections on the URL's port. */
const listening = (url: URL) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.on("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });

/** Waits up to `ms` for the port to be freed; true once nothing listens there. */
async function freed(url: URL, ms = 8000): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    if (!(await listening(url))) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe("scripts/serve.ts stops with its parent", () => {
  it("killing the parent (SIGKILL, which it cannot pass on) stops the server and frees the port", async () => {
    // A shell as the parent; "; :" keeps it from exec'ing node in its place. stdin is /dev/null, not watched.
    const {child: parent, url} = await start("sh", ["-c", `${process.execPath} ${serveArgs.join(" ")}; :`], "ignore");
    expect(await listening(url)).toBe(true);
    parent.kill("SIGKILL");
    expect(await freed(url)).toBe(true);
  });

  it.each(["SIGTERM", "SIGHUP"] as const)("%s stops the server and frees the port", async (signal) => {
    const {child, url} = await start(process.execPath, serveArgs, "ignore");
    const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(await freed(url)).toBe(true);
  });

  it("stdin closing (the parent's end of the pipe) stops the server and frees the port", async () => {
    const {child, url} = await start(process.execPath, serveArgs, "pipe");
    expect(await listening(url)).toBe(true);
    child.stdin!.end();
    expect(await freed(url)).toBe(true);
  });

  it("a server whose parent lives on keeps serving", async () => {
    const {url} = await start("sh", ["-c", `${process.execPath} ${serveArgs.join(" ")}; :`], "ignore");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await listening(url)).toBe(true);
  });
});

describe("scripts/serve.ts sends a byte range when asked, as a static host does", () => {
  it("reads Range headers as RFC 9110 defines them", () => {
    expect(byteRange(undefined, 100)).toBeUndefined();
    expect(byteRange("bytes=0-9", 100)).toEqual([0, 9]);
    expect(byteRange("bytes=90-", 100)).toEqual([90, 99]);
    expect(byteRange("bytes=90-200", 100)).toEqual([90, 99]);
    expect(byteRange("bytes=-8", 100)).toEqual([92, 99]); // the last 8 bytes: a Parquet file's footer length and magic
    expect(byteRange("bytes=-500", 100)).toEqual([0, 99]);
    expect(byteRange("bytes=100-", 100)).toBe("unsatisfiable");
    expect(byteRange("bytes=0-1, 5-6", 100)).toBeUndefined(); // several ranges: the whole file
    expect(byteRange("items=0-1", 100)).toBeUndefined();
  });

  it("answers a range with 206 and those bytes, and the whole file without one", async () => {
    const {server, url} = await serve(site);
    try {
      const whole = await fetch(`${url}index.html`);
      expect(whole.status).toBe(200);
      expect(whole.headers.get("accept-ranges")).toBe("bytes");
      expect(await whole.text()).toBe("<p>site</p>");
      const part = await fetch(`${url}index.html`, {headers: {range: "bytes=3-6"}});
      expect(part.status).toBe(206);
      expect(part.headers.get("content-range")).toBe("bytes 3-6/11");
      expect(await part.text()).toBe("site");
      expect((await fetch(`${url}index.html`, {headers: {range: "bytes=11-"}})).status).toBe(416);
    } finally {
      server.close();
    }
  });

  it("lets the browser keep a file named by its content's hash without asking again, and asks it to check any other", async () => {
    const {server, url} = await serve(site);
    try {
      expect((await fetch(`${url}chart.0123abcd.js`)).headers.get("cache-control")).toBe(
        "public, max-age=31536000, immutable"
      );
      expect((await fetch(`${url}index.html`)).headers.get("cache-control")).toBe("no-cache");
      expect(contentHashed("/_npm/d3-zoom@3.0.1/fac4a28b.js")).toBe(true);
      expect(contentHashed("/_file/data/source/customer_clv.csv.d8f2a703.gz")).toBe(true);
      expect(contentHashed("/_npm/@duckdb/duckdb-wasm@1.29.0/dist/duckdb-eh.wasm")).toBe(false);
      expect(contentHashed("/profit.html")).toBe(false);
    } finally {
      server.close();
    }
  });
});
