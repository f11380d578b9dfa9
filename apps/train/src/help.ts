import { SITES } from '@heart/data';
import { SELECTION_METRICS } from './options.js';

/** `--help`: every flag, its environment variable and its default. */
export const HELP = `Usage: pnpm turbo run train -- [options]      (or: pnpm train, node apps/train/dist/main.js)

Runs the heart pipeline: download the UCI data (cached, verified) → seeded stratified split →
fit the preprocessor → train, cross-validate and evaluate each model → log every run to MLflow →
write the best model to models/.

Options (flags win over environment variables; relative paths resolve from the repository root):
  --tracking-uri <uri>       MLflow tracking URI (path, file:, http://…)     [MLFLOW_TRACKING_URI]  default ./mlruns
  --experiment <name>        MLflow experiment                               [MLFLOW_EXPERIMENT_NAME] default heart-disease-mlops
  --data-url <url|path>      folder or file with processed.<site>.data       [HEART_DATA_URL]  default UCI's archive
  --sites <list>             ${SITES.join(',')}                  [HEART_SITES]  default cleveland
  --data-dir <path>          download cache                                  [HEART_DATA_DIR]  default data/raw
  --no-verify-checksum       accept files whose sha256 differs from UCI's
  --seed <int>               seed of the split, folds and forest             [HEART_SEED]  default 42
  --split <sklearn|heart>    sklearn: scikit-learn's split and CV folds for
                             random_state=seed, index for index; heart: its own [HEART_SPLIT]  default sklearn
  --test-size <share>        test share, 0 < x < 1                           [HEART_TEST_SIZE]  default 0.2
  --cv-folds <int>           stratified CV folds on the training rows, ≥ 2   [HEART_CV_FOLDS]  default 5
  --models <list>            lr,rf (any of them)                             [HEART_MODELS]  default lr,rf
  --select-metric <name>     ${SELECTION_METRICS.join(', ')}
                             picks the best run                              [HEART_SELECT_METRIC]  default roc_auc
  --output <path>            where best_model.json & co. go                  [HEART_MODEL_DIR]  default models
  --registered-model <name>  registers the best model as a new version       [HEART_REGISTERED_MODEL]  default heart-disease
  --alias <alias>            the alias that marks the version to serve       [HEART_ALIAS]  default champion
  --promote <policy>         if-better (beats the alias's version on
                             --select-metric), always, never                 [HEART_PROMOTE]  default if-better
  --offline-fallback         a tracking server that cannot be reached (at the
                             start, or for good mid-run): finish into
                             mlruns-offline/ and print the heart-mlflow sync
                             command that publishes it                       [HEART_MLFLOW_OFFLINE=fallback]
  --search <grid|random>     hyperparameter search before each model is trained, on its
                             CV folds (ROC AUC): a parent run per model, one nested child
                             run per candidate (params, mean/std/rank test score, fit and
                             score times), the best candidate's params, metrics and model
                             on the parent, as mlflow.sklearn.autolog logs a GridSearchCV
  --search-space <file>      JSON: {"model": "rf"|"lr", "fixed": {…}, "grid": {option:
                             [values]}, "distributions": {option: {"type": "int"|"uniform"|
                             "loguniform", "low", "high"} | {"type": "choice", "values"} |
                             [values]}, "trials": N ≤ 10000}; a grid of ≤ 10000 points;
                             options by their camelCase names
                             (nEstimators, maxDepth, minSamplesLeaf, maxFeatures, C, …).
                             Without it: rf grid maxDepth [none, 5] × minSamplesLeaf [1, 4],
                             lr grid C [0.01, 0.1, 1, 10]; random: rf maxDepth [none,3,5,8],
                             minSamplesLeaf int 1..8, maxFeatures [sqrt, log2, 0.5];
                             lr C loguniform 0.001..100
  --trials <int>             candidates random search draws          default the file's, else 10
  --search-jobs <int>        worker threads for the search (-1: every core)  default -1
  --lr-c <number>            logistic regression C                           default 1
  --lr-max-iter <int>        logistic regression max_iter                    default 1000
  --rf-n-estimators <int>    random forest trees                             default 100
  --rf-max-depth <int|none>  random forest max_depth                         default none
  --rf-min-samples-leaf <int> random forest min_samples_leaf                 default 1
  --rf-max-features <v>      sqrt, log2, all, a count or a share             default sqrt
  -h, --help                 show this help
`;
