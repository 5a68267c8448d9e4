import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuthGuard, PassportModule } from '@nestjs/passport';
import { MfaModule } from 'nestjs-mfa'; // mfa
import { AppController } from './app.controller';
import { JwtStrategy, jwtSecret } from './jwt.strategy';

@Module({
  imports: [
    PassportModule,
    JwtModule.register({ secret: jwtSecret, signOptions: { expiresIn: '1h' } }),
    MfaModule.forRoot({
      issuer: 'Acme',
      encryption: { keys: [{ id: 'k1', key: process.env.MFA_KEY! }] }, // mfa
      authGuards: [AuthGuard('jwt')],
    }), // mfa
  ],
  controllers: [AppController],
  providers: [JwtStrategy],
})
export class AppModule {}
