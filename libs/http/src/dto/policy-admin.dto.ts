// class-transformer reads decorator metadata at load time; a plain Express app has loaded no polyfill.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { FACTOR_TYPES } from '../../../core/src';
import type { FactorType } from '../../../core/src';

export class CreatePolicyVersionDto {
  /** The policy document; validated field by field by the policy validator. */
  @IsObject()
  document: Record<string, unknown>;

  @IsOptional()
  @IsString()
  @Length(1, 512)
  comment?: string;
}

/** The route's own decorator (`@RequireMfa`, `@StepUp`, `requireMfa()`), which explain cannot read from a route. */
export class ExplainRequirementDto {
  @IsOptional() @IsArray() @IsIn(FACTOR_TYPES, { each: true }) factors?: FactorType[];
  @IsOptional() @IsInt() @Min(0) @Max(31_536_000) maxAge?: number;
  @IsOptional() @IsBoolean() allowTrustedDevice?: boolean;
  @IsOptional() @IsBoolean() phishingResistant?: boolean;
  @IsOptional() @IsIn([2, 3]) minAal?: 2 | 3;
}

export class ExplainTargetDto {
  @IsOptional() @IsString() @Length(1, 64) service?: string;
  @IsOptional() @IsString() @Length(1, 64) operation?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) sensitivity?: string[];
  @IsOptional() @ValidateNested() @Type(() => ExplainRequirementDto) requirement?: ExplainRequirementDto;
}

export class ExplainContextDto {
  @IsOptional() @Matches(/^[A-Z]{2}$/) country?: string;
  @IsOptional() @IsNumber() @Min(0) @Max(1) risk?: number;
  @IsOptional() @IsBoolean() deviceTrusted?: boolean;
  @IsOptional() @IsNumber() @Min(0) @Max(1) deviceTrust?: number;
  @IsOptional() @IsBoolean() machine?: boolean;
}

/** "What would user U face on service S from country C with risk R, and why?" */
export class ExplainDto {
  @IsString() @Length(1, 191) userId: string;
  @IsOptional() @IsArray() @IsString({ each: true }) groups?: string[];
  @IsOptional() @ValidateNested() @Type(() => ExplainTargetDto) target?: ExplainTargetDto;
  @IsOptional() @ValidateNested() @Type(() => ExplainContextDto) context?: ExplainContextDto;
}

/**
 * "What would this candidate have decided differently over this window?": a stored `version`
 * or an unsaved `document` (exactly one), and the window of the recorded audit trail.
 */
export class WhatIfDto {
  @IsOptional() @IsInt() @Min(1) @Max(999_999_999) version?: number;
  /** A policy document not stored yet; validated like a new version (`POLICY_INVALID`). */
  @IsOptional() @IsObject() document?: Record<string, unknown>;
  /** Inclusive. */
  @IsISO8601() from: string;
  /** Exclusive; at most 31 days after `from`. */
  @IsISO8601() to: string;
  /** How many users, routes, rules and sample events to list. */
  @IsOptional() @IsInt() @Min(1) @Max(50) top?: number;
}

/** Query string of `GET /mfa/admin/policy/diff`: two version numbers. */
export class PolicyDiffQueryDto {
  @Matches(/^[1-9]\d{0,8}$/, { message: 'from must be a policy version number' }) from: string;
  @Matches(/^[1-9]\d{0,8}$/, { message: 'to must be a policy version number' }) to: string;
}
