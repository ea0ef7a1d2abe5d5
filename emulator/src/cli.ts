#!/usr/bin/env node
/**
 * `gumloop-emulator`: serves the emulator until SIGTERM/SIGINT. With `--json`, stdout carries exactly one JSON line
 * (for scripts and test harnesses); everything else goes to stderr.
 */
import { VirtualClock } from "./world/clock.js";
import { HELP, parseCliArgs, UsageError, type CliConfig } from "./cliArgs.js";
import { startEmulator, type Emulator } from "./emulator.js";

function banner(emulator: Emulator, config: CliConfig): string {
  const lines = [
    "Gumloop emulator is listening.",
    "",
    `  REST base URL:      ${emulator.url}`,
    `  Streaming base URL: ${emulator.streamUrl}`,
    `  API key:            ${emulator.apiKey}   (send x-auth-key: ${emulator.userId})`,
    `  User id:            ${emulator.userId}`,
    `  Team id:            ${emulator.teamId}`,
    `  Team API key:       ${emulator.teamApiKey}`,
    `  OAuth token:        ${emulator.oauthToken}`,
    `  Plan:               ${config.options.plan ?? "pro"}${config.virtualClock ? " (virtual clock)" : ""}`,
  ];
  if (config.options.admin) lines.push(`  Admin routes:       ${emulator.origin}/__emulator/`);
  lines.push("", "Press Ctrl+C to stop.");
  return `${lines.join("\n")}\n`;
}

async function main(argv: readonly string[]): Promise<void> {
  let config: CliConfig;
  try {
    config = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`gumloop-emulator: ${error.message}\nRun gumloop-emulator --help for usage.\n`);
    process.exit(2);
  }
  if (config.help) {
    process.stdout.write(HELP);
    return;
  }

  let emulator: Emulator;
  try {
    emulator = await startEmulator({
      ...config.options,
      ...(config.virtualClock ? { clock: new VirtualClock() } : {}),
    });
  } catch (error) {
    process.stderr.write(`gumloop-emulator: cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }

  if (config.json) {
    const { url, streamUrl, apiKey, userId, teamId } = emulator;
    process.stdout.write(`${JSON.stringify({ url, streamUrl, apiKey, userId, teamId })}\n`);
  } else {
    process.stdout.write(banner(emulator, config));
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`gumloop-emulator: ${signal}, shutting down\n`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`gumloop-emulator: close failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`gumloop-emulator: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
