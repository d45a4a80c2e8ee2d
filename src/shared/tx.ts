import type { Db } from '../db/client.ts';

/** An open transaction. Services open it; repos accept it wherever they accept a Db. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** What a repo function runs on: the database, or the caller's transaction. */
export type Executor = Db | Tx;
