/** The audit area. Placeholder registered so its owner can fill it in; it serves no routes yet. */
import { defineArea } from "../area.js";

export const auditArea = defineArea({ name: "audit", routes: () => undefined });
