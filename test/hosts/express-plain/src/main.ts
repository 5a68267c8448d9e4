import express, { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { createMfa } from 'nestjs-mfa/express'; // mfa

interface AppUser {
  id: string;
  username: string;
}
const users = [{ id: 'u1', username: 'alice', password: 'alice-password' }];
const publicUser = (id: string): AppUser | false => {
  const user = users.find((u) => u.id === id);
  return user ? { id: user.id, username: user.username } : false;
};

passport.use(
  new LocalStrategy((username, password, done) => {
    const user = users.find((u) => u.username === username && u.password === password);
    done(null, user ? publicUser(user.id) : false);
  }),
);
passport.serializeUser((user, done) => done(null, (user as AppUser).id));
passport.deserializeUser((id: string, done) => done(null, publicUser(id)));

const signedIn = (req: Request, res: Response, next: NextFunction) =>
  req.isAuthenticated() ? next() : res.status(401).json({ message: 'Sign in first.' });

async function main(): Promise<void> {
  const mfa = createMfa({ issuer: 'Acme', encryption: { keys: [{ id: 'k1', key: process.env.MFA_KEY! }] } }); // mfa
  await mfa.ready; // mfa

  const app = express();
  app.use(express.json());
  app.use(
    session({ secret: process.env.SESSION_SECRET ?? 'host-session-secret', resave: false, saveUninitialized: false }),
  );
  app.use(passport.initialize(), passport.session());
  app.use(mfa.router); // mfa
  app.post('/login', passport.authenticate('local'), (req, res) => {
    res.json({ user: req.user });
  });
  app.get('/billing', signedIn, mfa.requireMfa(), (_req, res) => {
    res.json({ billing: 'ok' });
  }); // mfa
  app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
