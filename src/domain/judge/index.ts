export * from './judge';
export * from './mann-whitney';
export * from './normal';
export * from './pairwise-differences';
export * from './sample-ratio';
export * from './proportions';
