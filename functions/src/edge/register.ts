import type { Step } from "../http/serve.js";
import { storeContext } from "../store/client.js";
import { ensureRegistered } from "../store/users.js";

/** Registration step: the caller enters the tenant's user directory on their first authenticated request. */
export const registration: Step = async (req, next) => {
  await ensureRegistered(storeContext(), req.principal);
  return next();
};
