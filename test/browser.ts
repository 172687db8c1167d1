// Debian's chromium driven by playwright-core, with the flags this machine needs
// (no browser download, no background connections). scripts/test.sh finds the binary.
import {chromium, type Browser} from "playwright-core";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    // playwright gives every launch a fresh, empty --user-data-dir of its own.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync"
    ]
  });
}
