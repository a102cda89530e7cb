// node --require register.cjs out/main/index.js: `require('electron')` gets the stand-in.
'use strict';
const Module = require('node:module');
const { join } = require('node:path');

const standIn = join(__dirname, 'electron.cjs');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? standIn : resolve.call(this, request, ...rest);
};
