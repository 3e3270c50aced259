import type { en } from './en.js';

/** The shape every catalogue has: the English keys, each with some string. */
export type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
export type Messages = Strings<typeof en>;
