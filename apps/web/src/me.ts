// The signed-in person's account (for the header), loaded once per sign-in.
import { api } from "./api/client";
import type { Schemas } from "./api/client";
import { session } from "./session";

export type Me = Schemas["UserView"];
let current: Promise<Me | null> | null = null;

export function me(): Promise<Me | null> {
  if (!session.signedIn) return Promise.resolve(null);
  current ??= api.GET("/api/v1/users/me").then(({ data }) => data ?? null);
  return current;
}

export function forgetMe(): void {
  current = null;
}

session.addEventListener("change", forgetMe);

/** Instructors and admins author courses, labs and quizzes (the API decides; this only
 * chooses what the header offers). */
export function mayAuthor(user: Me | null): boolean {
  return !!user && user.roles.some((role) => role === "instructor" || role === "admin");
}
