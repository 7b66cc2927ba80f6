import { navigate } from "../router";
import { session } from "../session";

/** Pages for signed-in people send everyone else to sign in, and back here after. */
export async function requireSignIn(): Promise<boolean> {
  if (session.signedIn) return true;
  navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, true);
  return false;
}
