import { Body, Controller, Get, HttpCode, Post, UnauthorizedException, UseGuards } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuthGuard } from '@nestjs/passport';
import { randomUUID } from 'node:crypto'; // mfa
import { RequireMfa } from 'nestjs-mfa'; // mfa

const users = [{ id: 'u1', username: 'alice', password: 'alice-password' }];

@Controller()
export class AppController {
  constructor(private readonly jwt: JwtService) {}

  @Post('login')
  @HttpCode(200)
  login(@Body() body: { username?: string; password?: string }) {
    const user = users.find((u) => u.username === body.username && u.password === body.password);
    if (!user) throw new UnauthorizedException();
    return { token: this.jwt.sign({ sub: user.id, sid: randomUUID() }) }; // mfa
  }

  @Get('billing')
  @UseGuards(AuthGuard('jwt'))
  @RequireMfa() // mfa
  billing() {
    return { billing: 'ok' };
  }
}
