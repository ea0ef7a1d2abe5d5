/**
 * Checks, before any research starts, that the files can be saved where `--out` says: a run takes minutes and may
 * cost money, and finding out afterwards that `--out` names a file wastes all of it.
 */
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { UsageError } from "./cliOptions.js";

/**
 * Throws a {@link UsageError} unless `<out>/<subfolder>` is a directory we can write to, or can be created: the
 * nearest part of the path that exists must be a writable directory. Nothing is created here, so a run that fails
 * leaves no empty folders behind.
 */
export async function checkOutputDirectory(out: string, subfolder?: string): Promise<void> {
  const target = resolve(subfolder ? join(out, subfolder) : out);
  for (let path = target; ; path = dirname(path)) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === "ENOENT" || code === "ENOTDIR") && dirname(path) !== path) continue;
      throw new UsageError(`--out ${out}: cannot use ${path} (${code ?? (error as Error).message})`);
    }
    if (!isDirectory) {
      throw new UsageError(
        path === resolve(out)
          ? `--out ${out}: ${path} is a file, not a directory; name a directory (it is created if missing)`
          : `--out ${out}: ${path} is a file, so the files cannot be saved under it`,
      );
    }
    try {
      await access(path, constants.W_OK | constants.X_OK);
    } catch {
      throw new UsageError(`--out ${out}: ${path} is not writable`);
    }
    return;
  }
}
