import type { Assembly, Json, Resolver } from "./template.js";
import { resourcesOfType } from "./template.js";

/**
 * The identity-based policy of a synthesised role, resolved, and the two questions the deploy
 * test asks of it: is (action, resource) allowed, and which DynamoDB grants does it make.
 * Only what the template uses is understood (Allow/Deny, Action, Resource, no conditions);
 * anything else throws, so a policy the evaluator cannot judge is never judged wrongly.
 */
export interface Statement {
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: string[];
  Sid?: string;
}

const list = (v: Json): string[] => (Array.isArray(v) ? v : [v]).map(String);

/** Statements of every policy attached to the role: AWS::IAM::Policy resources and inline policies. */
export function roleStatements(a: Assembly, roleId: string, resolve: Resolver): Statement[] {
  const role = a.template.Resources[roleId];
  if (!role || role.Type !== "AWS::IAM::Role") throw new Error(`${roleId} is not a role`);
  if ((role.Properties?.ManagedPolicyArns ?? []).length > 0) {
    throw new Error(`${roleId}: managed policies cannot be evaluated here: ${JSON.stringify(role.Properties.ManagedPolicyArns)}`);
  }
  const documents: Json[] = (role.Properties?.Policies ?? []).map((p: Json) => p.PolicyDocument);
  for (const [, policy] of resourcesOfType(a, "AWS::IAM::Policy")) {
    const roles: Json[] = policy.Properties?.Roles ?? [];
    if (roles.some((r) => r?.Ref === roleId)) documents.push(policy.Properties.PolicyDocument);
  }
  return documents.flatMap((d) =>
    (d.Statement as Json[]).map((s) => {
      for (const k of Object.keys(s)) {
        if (!["Effect", "Action", "Resource", "Sid"].includes(k)) throw new Error(`${roleId}: statement key ${k} not understood`);
      }
      return { Effect: s.Effect, Action: list(s.Action), Resource: list(resolve(s.Resource)), ...(s.Sid ? { Sid: s.Sid } : {}) };
    }),
  );
}

/** IAM wildcard match: `*` any run, `?` one character; actions case-insensitively. */
function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, ignoreCase ? "i" : "");
  return re.test(value);
}

function matches(s: Statement, action: string, resource: string): boolean {
  return s.Action.some((p) => globMatch(p, action, true)) && s.Resource.some((p) => globMatch(p, resource, false));
}

export function isAllowed(statements: readonly Statement[], action: string, resource: string): boolean {
  if (statements.some((s) => s.Effect === "Deny" && matches(s, action, resource))) return false;
  return statements.some((s) => s.Effect === "Allow" && matches(s, action, resource));
}

/** Every (action pattern, resource pattern) pair an Allow statement grants for DynamoDB. */
export function dynamoGrants(statements: readonly Statement[]): { action: string; resource: string }[] {
  const out: { action: string; resource: string }[] = [];
  for (const s of statements) {
    if (s.Effect !== "Allow") continue;
    for (const action of s.Action) {
      // `*` or `dynamodb:*`-like patterns are DynamoDB grants too.
      if (!globMatch(action, "dynamodb:GetItem", true) && !action.toLowerCase().startsWith("dynamodb:")) continue;
      for (const resource of s.Resource) out.push({ action, resource });
    }
  }
  return out;
}

/** Does a used (action, resource) fall under a grant? */
export function grantCovers(grant: { action: string; resource: string }, action: string, resource: string): boolean {
  return globMatch(grant.action, action, true) && globMatch(grant.resource, resource, false);
}
