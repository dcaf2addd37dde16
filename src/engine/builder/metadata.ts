// The instructions that change only an image's config (ENV, CMD, ENTRYPOINT, EXPOSE, …), as the
// classic builder applies them, with the history text it records (`/bin/sh -c #(nop)  CMD […]`).
// Shared by build steps and `docker commit --change`.
import type { ContainerConfig } from '../image/oci.ts';
import { BuildError, type Instruction } from './instructions.ts';

export interface MetadataState {
  config: ContainerConfig;
  /** SHELL: what shell-form commands run under. */
  shell: string[];
  /** A CMD was set in this stage (an ENTRYPOINT after it keeps it). */
  cmdSet: boolean;
}

export interface MetadataResult {
  createdBy: string;
  /** MAINTAINER: the image's author. */
  author?: string;
}

/** Applies a metadata instruction to `state` (its config is changed in place). */
export function applyMetadata(state: MetadataState, ins: Instruction, expand: (word: string) => string): MetadataResult {
  const config = state.config;
  const nop = (text: string, twoSpaces = true) => ({ createdBy: `${state.shell.join(' ')} #(nop) ${twoSpaces ? ' ' : ''}${text}` });
  switch (ins.name) {
    case 'env': {
      const env = new Map((config.Env ?? []).map((kv) => [kv.split('=')[0]!, kv] as const));
      const shown: string[] = [];
      for (const [k, v] of ins.pairs) {
        const key = expand(k);
        const value = expand(v);
        env.set(key, `${key}=${value}`);
        shown.push(`${key}=${value}`);
      }
      config.Env = [...env.values()];
      return nop(`ENV ${shown.join(' ')}`);
    }
    case 'label': {
      config.Labels = { ...(config.Labels ?? {}) };
      const shown: string[] = [];
      for (const [k, v] of ins.pairs) {
        const key = expand(k);
        const value = expand(v);
        config.Labels[key] = value;
        shown.push(`${key}=${value}`);
      }
      return nop(`LABEL ${shown.join(' ')}`);
    }
    case 'cmd':
    case 'entrypoint': {
      const command = ins.json ? ins.args : ins.args.length ? [...state.shell, ins.args[0]!] : [];
      if (ins.name === 'cmd') {
        config.Cmd = command;
        state.cmdSet = true;
      } else {
        config.Entrypoint = command;
        if (!state.cmdSet) delete config.Cmd;
      }
      return nop(`${ins.name.toUpperCase()} ${goList(command)}`);
    }
    case 'expose': {
      config.ExposedPorts = { ...(config.ExposedPorts ?? {}) };
      const ports: string[] = [];
      for (const word of ins.args) {
        const [number = '', proto = 'tcp'] = expand(word).split('/');
        if (!/^\d+(-\d+)?$/.test(number)) throw new BuildError(`invalid containerPort: ${number}`);
        config.ExposedPorts[`${number}/${proto.toLowerCase()}`] = {};
        ports.push(`${number}/${proto.toLowerCase()}`);
      }
      return nop(`EXPOSE ${ports.join(' ')}`);
    }
    case 'volume': {
      config.Volumes = { ...(config.Volumes ?? {}) };
      const paths = ins.args.map(expand).filter((p) => p.trim() !== '');
      if (!paths.length) throw new BuildError('VOLUME specified can not be an empty string');
      for (const p of paths) config.Volumes[p] = {};
      return nop(`VOLUME [${paths.join(' ')}]`);
    }
    case 'workdir': {
      const dir = expand(ins.args[0] ?? '');
      config.WorkingDir = dir.startsWith('/') ? dir : `${(config.WorkingDir || '/').replace(/\/$/, '')}/${dir}`;
      return nop(`WORKDIR ${config.WorkingDir}`, false);
    }
    case 'user':
      config.User = expand(ins.args[0] ?? '');
      return nop(`USER ${config.User}`);
    case 'stopsignal':
      config.StopSignal = expand(ins.args[0] ?? '');
      return nop(`STOPSIGNAL ${config.StopSignal}`);
    case 'maintainer':
      return { ...nop(`MAINTAINER ${ins.args[0] ?? ''}`), author: ins.args[0] ?? '' };
    case 'shell':
      if (!ins.json) throw new BuildError('SHELL requires the arguments to be in JSON form');
      state.shell = [...ins.args];
      config.Shell = [...ins.args];
      return nop(`SHELL [${ins.args.join(' ')}]`);
    case 'onbuild':
      config.OnBuild = [...(config.OnBuild ?? []), ins.trigger!];
      return nop(`ONBUILD ${ins.trigger}`);
    case 'healthcheck': {
      const [kind = '', ...rest] = ins.args;
      if (kind.toUpperCase() === 'NONE') config.Healthcheck = { Test: ['NONE'] };
      else if (kind.toUpperCase() === 'CMD') config.Healthcheck = { Test: ins.json ? ['CMD', ...rest] : ['CMD-SHELL', rest.join(' ')] };
      else throw new BuildError(`Unknown type "${kind}" in HEALTHCHECK (try CMD)`);
      return nop(`HEALTHCHECK ${config.Healthcheck.Test!.join(' ')}`);
    }
  }
  throw new BuildError(`${ins.name.toUpperCase()} is not a metadata instruction`);
}

/** Go's %q of a []string: ["a" "b"]. */
function goList(words: string[]): string {
  return `[${words.map((w) => JSON.stringify(w)).join(' ')}]`;
}
