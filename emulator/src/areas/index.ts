/**
 * Every API area the emulator serves, in seeding order. Adding an area = one folder here whose `routes.ts`
 * exports `defineArea({...})` (its store, seed and behaviour beside it), plus one line here.
 */
import type { EmulatorArea } from "../area.js";
import { agentsArea } from "./agents/routes.js";
import { agentMcpServersArea } from "./agents/mcpServers.js";
import { agentSkillsArea } from "./agents/skills.js";
import { brainArea } from "./brain/routes.js";
import { evaluationsArea } from "./evaluations/routes.js";
import { approvalsArea } from "./sessions/approvals.js";
import { artifactsArea } from "./artifacts/routes.js";
import { sessionsArea } from "./sessions/routes.js";
import { flowsArea } from "./flows/routes.js";
import { filesArea } from "./files/routes.js";
import { skillsArea } from "./skills/routes.js";
import { mcpArea } from "./mcp/routes.js";
import { modelsArea } from "./models/routes.js";
import { teamsArea } from "./teams/routes.js";
import { organizationArea } from "./organization/routes.js";
import { exportsArea } from "./exports/routes.js";
import { auditArea } from "./audit/routes.js";
import { chatArea } from "./chat/routes.js";

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
  agentSkillsArea,
  agentMcpServersArea,
  brainArea,
  evaluationsArea,
];
