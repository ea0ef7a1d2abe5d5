/**
 * Teams (teams.yml; tool 37): the teams the caller belongs to, as `{id, name}`. A team API key belongs to its own
 * team only (inference: the docs say "teams the authenticated caller belongs to"). The route takes no parameters;
 * a stray `team_id` in the query is ignored.
 */
import { defineArea } from "../../area.js";
import { json, type RequestContext, type Reply } from "../../server/context.js";
import type { TeamRecord } from "../../world/model.js";

function listTeams(ctx: RequestContext): Reply {
  const { store } = ctx.env;
  const caller = ctx.caller;
  const teams: TeamRecord[] =
    caller.kind === "team"
      ? [store.teams.get(caller.teamId ?? "")].filter((t): t is TeamRecord => t !== undefined)
      : store.teamsOf(caller.userId);
  return json(200, { teams: teams.map((team) => ({ id: team.id, name: team.name })) });
}

/** The teams area. */
export const teamsArea = defineArea({
  name: "teams",
  routes(r) {
    r.get("/teams", listTeams, { statuses: [200, 401, 500] });
  },
});
