export {
  FIXTURES_DIR,
  fixturePath,
  MLFLOW_GOLDEN_DIR,
  REFERENCE_DIR,
  UCI_DIR,
} from './fixtures.js';
