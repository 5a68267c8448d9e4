// `node -r ./test/support/hide-modules.hook.js` with MFA_TEST_HIDE_MODULES=pg,mysql2: those
// packages resolve as if they were not installed, as in an app that never added the optional
// peer dependency, so a test can see what the user would be told.
const Module = require('node:module');

const hidden = new Set((process.env.MFA_TEST_HIDE_MODULES ?? '').split(',').filter(Boolean));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (hidden.has(request)) {
    const err = new Error(`Cannot find module '${request}'`);
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  return resolve.call(this, request, ...rest);
};
