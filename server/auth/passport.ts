import passportModule from 'passport';

export type Authenticator = InstanceType<typeof passportModule.Passport>;
import { Strategy as LocalStrategy } from 'passport-local';
import type { AuthService } from './auth.service.js';

/** A private Passport instance (never the global one), so a host's own passport is untouched. */
export function createPassport(auth: AuthService): Authenticator {
  const passport = new passportModule.Passport();
  passport.use(new LocalStrategy({ usernameField: 'username', passwordField: 'password', passReqToCallback: true },
    (req, username, password, done) => {
      auth.authenticate(username, password, req.ip ?? 'unknown')
        .then((principal) => done(null, principal ?? false))
        .catch((error: unknown) => done(error));
    }));
  // Only the id goes into the session; the user and roles are reloaded on each request.
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: number, done) => {
    auth.loadPrincipal(id).then((p) => done(null, p ?? false)).catch((error: unknown) => done(error));
  });
  return passport;
}
