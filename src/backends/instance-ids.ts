/** Makes ids for model instances inside hosts: `<name>#<n>`, unique per backend. */
export class InstanceIds {
  private counter = 0;

  next(name: string): string {
    return `${name}#${++this.counter}`;
  }
}
