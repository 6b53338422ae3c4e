import { z } from 'zod';
import type { AppInfo, KeyStatus, ProfileSettings } from '../model';

/**
 * The one contract between the renderer and whichever shell hosts the core. Channels are
 * `domain.verb`, events `domain.pastTense`. One payload object per call.
 */
export interface Invokes {
  'app.info': { req: Record<string, never>; res: AppInfo };
  'key.status': { req: Record<string, never>; res: KeyStatus };
  'key.set': { req: { key: string; force?: boolean; storage?: 'keychain' | 'session' }; res: KeyStatus };
  'key.sync': { req: Record<string, never>; res: KeyStatus };
  'key.forget': { req: Record<string, never>; res: KeyStatus };
  'settings.get': { req: Record<string, never>; res: ProfileSettings };
  'settings.update': { req: { glpiVersion?: string; installMode?: string; language?: string }; res: ProfileSettings };
}

export interface Events {
  'key.changed': KeyStatus;
  'settings.changed': ProfileSettings;
}

export type Channel = keyof Invokes;
export type EventName = keyof Events;
export type Req<C extends Channel> = Invokes[C]['req'];
export type Res<C extends Channel> = Invokes[C]['res'];

/** Runtime lists the compiler keeps complete; the preload imports only these. */
export const CHANNELS = Object.keys({
  'app.info': true,
  'key.status': true,
  'key.set': true,
  'key.sync': true,
  'key.forget': true,
  'settings.get': true,
  'settings.update': true,
} satisfies Record<Channel, true>) as Channel[];

export const EVENTS = Object.keys({
  'key.changed': true,
  'settings.changed': true,
} satisfies Record<EventName, true>) as EventName[];

const empty = z.object({}).strict();
const glpiVersion = z
  .string()
  .trim()
  .regex(/^\d+\.\d+(\.\d+){0,2}(-[0-9A-Za-z.]+)?$/, 'a GLPI version such as 10.0.18 or 11.0.1');

/** Payload validators, checked by every shell before a handler runs. */
export const requestSchemas = {
  'app.info': empty,
  'key.status': empty,
  'key.set': z
    .object({
      key: z.string().max(16_384),
      force: z.boolean().optional(),
      storage: z.enum(['keychain', 'session']).optional(),
    })
    .strict(),
  'key.sync': empty,
  'key.forget': empty,
  'settings.get': empty,
  'settings.update': z
    .object({
      glpiVersion: glpiVersion.optional(),
      installMode: z
        .string()
        .regex(/^[A-Z0-9_-]{1,32}$/, 'an install mode such as TARBALL')
        .optional(),
      language: z
        .string()
        .regex(/^[a-z]{2}([_-][A-Za-z0-9]{2,3})?$/, 'a language code such as en or fr_FR')
        .optional(),
    })
    .strict(),
} satisfies { [C in Channel]: z.ZodType<Req<C>> };

export function isChannel(value: string): value is Channel {
  return (CHANNELS as string[]).includes(value);
}

export function isEventName(value: string): value is EventName {
  return (EVENTS as string[]).includes(value);
}
