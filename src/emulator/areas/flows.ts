/** The flows area. Placeholder registered so its owner can fill it in; it serves no routes yet. */
import { defineArea } from "../area.js";

export const flowsArea = defineArea({ name: "flows", routes: () => undefined });
