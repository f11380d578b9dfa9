/** Binary labels: 0 = negative, 1 = positive. */
export type Labels = ArrayLike<number>;
/** Scores, probabilities of class 1, or 0/1 predictions. */
export type Scores = ArrayLike<number>;
