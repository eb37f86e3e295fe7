import {
  type CommandConnection,
  LazyClient,
  type RedisConnectionOptions,
  type SubscriberConnection,
} from './lazy-client.js';
import { LazySentinel } from './lazy-sentinel.js';
import { MasterFollower } from './master-follower.js';
import { checkConnectTimeout, checkSentinelOptions } from './sentinel.js';

/** The two connections of the bus or the lock: one for commands, one that subscribes. */
export interface Connections {
  commands: CommandConnection;
  subscriber: SubscriberConnection;
}

/**
 * Checks `options` and opens (lazily) the connections of `owner`: two plain clients to `url`, or, with
 * `sentinel`, a Sentinel client for commands and a client that follows its master for SUBSCRIBE.
 */
export function openConnections(
  owner: string,
  options: RedisConnectionOptions,
  names: { commands: string; subscriber: string },
): Connections {
  checkConnectTimeout(owner, options.connectTimeout);
  const sentinel = options.sentinel;
  if (sentinel === undefined) {
    return {
      commands: new LazyClient(names.commands, options),
      subscriber: new LazyClient(names.subscriber, options),
    };
  }
  if (options.url !== undefined || options.client !== undefined) {
    throw new TypeError(
      `${owner}: give either url/client or sentinel, not both; with sentinel, put node options (password, TLS…) in sentinel.nodeClientOptions`,
    );
  }
  checkSentinelOptions(owner, sentinel, 'sentinel.');
  const commands = new LazySentinel(names.commands, sentinel, options.connectTimeout);
  return {
    commands,
    subscriber: new MasterFollower(names.subscriber, commands, sentinel, options.connectTimeout),
  };
}
