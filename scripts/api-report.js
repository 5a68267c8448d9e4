#!/usr/bin/env node
/**
 * The API report of each package entry point, etc/<entry>.api.md, from the .d.ts files in
 * dist/ (run `npm run build` first). With --local it rewrites the reports (`npm run
 * api:report`); without, it fails when a report no longer matches (`npm run api:check`, CI).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { Extractor, ExtractorConfig } = require('@microsoft/api-extractor');

const ENTRIES = ['index', 'core', 'express', 'typeorm', 'redis', 'delivery', 'geoip', 'client']; // src/<entry>.ts, as in package.json "exports"
const root = path.resolve(__dirname, '..');
const configPath = path.join(root, 'api-extractor.json');
const local = process.argv.includes('--local');
const verbose = process.argv.includes('--verbose');

const base = ExtractorConfig.loadFile(configPath);
if (local) fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
const changed = [];
const failed = [];
for (const entry of ENTRIES) {
  const dts = path.join(root, 'dist', 'src', `${entry}.d.ts`);
  if (!fs.existsSync(dts)) {
    console.error(`api-report: ${path.relative(root, dts)} is missing; run npm run build first`);
    process.exit(1);
  }
  const configObject = {
    ...base,
    mainEntryPointFilePath: `<projectFolder>/dist/src/${entry}.d.ts`,
    apiReport: { ...base.apiReport, reportFileName: entry },
  };
  const config = ExtractorConfig.prepare({
    configObject,
    configObjectFullPath: configPath,
    packageJsonFullPath: path.join(root, 'package.json'),
  });
  const result = Extractor.invoke(config, { localBuild: local, showVerboseMessages: verbose, messageCallback: quiet });
  if (result.apiReportChanged) changed.push(entry);
  if (!result.succeeded) failed.push(entry);
}

if (failed.length && (local || !changed.length)) {
  console.error(`api-report: API Extractor reported problems for ${failed.join(', ')}`);
  process.exit(1);
}
if (local) {
  console.log(
    changed.length
      ? `api-report: updated etc/{${changed.join(',')}}.api.md; review and commit them with the change`
      : 'api-report: etc/*.api.md unchanged',
  );
} else if (changed.length) {
  const names = changed.map((e) => (e === 'index' ? 'nestjs-mfa' : `nestjs-mfa/${e}`));
  console.error(
    `api-report: the public surface of ${names.join(', ')} changed without its report: ` +
      'run npm run api:report, review the diff of etc/*.api.md and commit it',
  );
  process.exit(1);
} else {
  console.log(`api-report: all ${ENTRIES.length} entry points match etc/*.api.md`);
}

/** API Extractor's progress lines, unless --verbose; its warnings and errors always show. */
function quiet(message) {
  if (!verbose && (message.logLevel === 'info' || message.logLevel === 'verbose')) message.handled = true;
}
