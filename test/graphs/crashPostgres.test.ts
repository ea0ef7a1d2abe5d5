/** The crash matrix (crashMatrix.ts) with PostgreSQL checkpoints (@langchain/langgraph-checkpoint-postgres). */
import { postgresUrl, freshTable } from "../helpers/postgres.js";
import { crashMatrix } from "./crashMatrix.js";

crashMatrix("PostgreSQL", (job) => ({
  kind: "postgres",
  url: postgresUrl(),
  schema: freshTable(`crash_${job}`),
}));
