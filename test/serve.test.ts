// npm start's server (scripts/serve.ts) stops with whoever started it: a signal, its stdin
// closing, or its parent process ending, so that no server is left holding the port.
import {spawn, type ChildProcess} from "node:child_process";
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {connect} from "node:net";
import {afterEach, describe, expect, it} from "vitest";
import {temporaryDirectory} from "./tempDir.js";

const site = temporaryDirectory("serve-");
writeFileSync(join(site, "index.html"), "<p>site</p>");
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
