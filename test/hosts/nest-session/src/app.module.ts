import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { MfaModule } from 'nestjs-mfa'; // mfa
import { AppController } from './app.controller';
import { LocalStrategy, SessionSerializer } from './auth';

@Module({
  imports: [
    PassportModule.register({ session: true }),
    MfaModule.forRoot({ issuer: 'Acme', encryption: { keys: [{ id: 'k1', key: process.env.MFA_KEY! }] } }), // mfa
  ],
  controllers: [AppController],
  providers: [LocalStrategy, SessionSerializer],
})
export class AppModule {}
