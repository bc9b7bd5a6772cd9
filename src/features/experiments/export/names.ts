/**
 * A Kubernetes object name from an experiment name: lowercase letters, digits and "-",
 * starting and ending with a letter or digit, at most `max` characters (63: a DNS label).
 */
export function kubernetesName(name: string, max = 63): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return slug || 'faultline-experiment';
}

/** A download file name: "cpu-pressure-on-checkout.chaos-mesh.yaml". */
export function exportFileName(experimentName: string, suffix: string): string {
  return `${kubernetesName(experimentName, 80)}.${suffix}`;
}

/** Seconds as a Go duration, the form Chaos Mesh reads: "4m", "1h30m", "45s", "1m30s". */
export function goDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const text = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${rest ? `${rest}s` : ''}`;
  return text || '0s';
}
