#!/usr/bin/env node
/** `heart-mlflow`: the command line of @heart/mlflow (`heart-mlflow sync <from> <to>`). */
import { runCli } from './cli/run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
