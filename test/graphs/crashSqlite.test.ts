/** The crash matrix (crashMatrix.ts) with SQLite checkpoints. */
import { join } from "node:path";
import { crashMatrix } from "./crashMatrix.js";

crashMatrix("SQLite", (job, dir) => ({ kind: "sqlite", file: join(dir, `${job}.db`) }));
