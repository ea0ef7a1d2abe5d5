/**
 * Every API area the emulator serves, in seeding order. Adding an area = one file in this folder exporting
 * `defineArea({...})`, plus one line here.
 */
import type { EmulatorArea } from "../area.js";
import { agentsArea } from "./agents.js";
import { approvalsArea } from "./approvals.js";
import { artifactsArea } from "./artifacts.js";
import { sessionsArea } from "./sessions.js";

/** The registered areas. Order matters only for seeding (artifacts seed sessions that reference agents). */
export const AREAS: readonly EmulatorArea[] = [agentsArea, sessionsArea, approvalsArea, artifactsArea];
