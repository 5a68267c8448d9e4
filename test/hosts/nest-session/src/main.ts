import { NestFactory } from '@nestjs/core';
import session from 'express-session';
import passport from 'passport';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.use(
    session({ secret: process.env.SESSION_SECRET ?? 'host-session-secret', resave: false, saveUninitialized: false }),
  );
  app.use(passport.initialize(), passport.session());
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
}
void bootstrap();
