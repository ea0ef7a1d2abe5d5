/**
 * Every API area the emulator serves, in seeding order. Adding an area = one file in this folder exporting
 * `defineArea({...})`, plus one line here.
 */
import type { EmulatorArea } from "../area.js";
import { agentsArea } from "./agents.js";
import { approvalsArea } from "./approvals.js";
import { artifactsArea } from "./artifacts.js";
import { sessionsArea } from "./sessions.js";
import { flowsArea } from "./flows.js";
import { filesArea } from "./files.js";
import { skillsArea } from "./skills.js";
import { mcpArea } from "./mcp.js";
import { modelsArea } from "./models.js";
import { teamsArea } from "./teams.js";
import { organizationArea } from "./organization.js";
import { exportsArea } from "./exports.js";
import { auditArea } from "./audit.js";
import { chatArea } from "./chat.js";

/** The registered areas. Order matters only for seeding (artifacts seed sessions that reference agents). */
export const AREAS: readonly EmulatorArea[] = [
  agentsArea,
  sessionsArea,
  approvalsArea,
  artifactsArea,
  flowsArea,
  filesArea,
  skillsArea,
  mcpArea,
  modelsArea,
  teamsArea,
  organizationArea,
  exportsArea,
  auditArea,
  chatArea,
];
