import { CircuitBreaker } from './circuit.breaker';

const COOLDOWN = 10_000;

function setup(failures = 3) {
  const clock = { now: 1_000_000 };
  const sut = new CircuitBreaker({ failures, cooldownMs: COOLDOWN }, () => clock.now);
  const open = () => {
    for (let i = 0; i < failures; i += 1) sut.failed();
  };
  const pass = (ms: number) => (clock.now += ms);
  return { sut, clock, open, pass };
}

describe(CircuitBreaker.name, () => {
  it('starts closed and lets calls through', () => {
    const { sut } = setup();

    expect(sut.state).toBe('closed');
    expect(sut.tryAcquire()).toBe(true);
    expect(sut.tryAcquire()).toBe(true);
  });

  it('stays closed below the number of failures in a row', () => {
    const { sut } = setup(3);
    sut.failed();
    sut.failed();

    expect(sut.state).toBe('closed');
    expect(sut.tryAcquire()).toBe(true);
  });

  it('opens at the number of failures in a row', () => {
    const { sut } = setup(3);
    sut.failed();
    sut.failed();
    sut.failed();

    expect(sut.state).toBe('open');
    expect(sut.tryAcquire()).toBe(false);
  });

  it('counts failures again from zero after a success', () => {
    const { sut } = setup(3);
    sut.failed();
    sut.failed();
    sut.succeeded();
    sut.failed();
    sut.failed();

    expect(sut.state).toBe('closed');
    sut.failed();
    expect(sut.state).toBe('open');
  });

  it('keeps an open breaker shut until the cooldown is over', () => {
    const { sut, open, pass } = setup();
    open();
    pass(COOLDOWN - 1);

    expect(sut.state).toBe('open');
    expect(sut.tryAcquire()).toBe(false);
  });

  it('says when it reopens', () => {
    const { sut, clock, open } = setup();
    const openedAt = clock.now;
    open();

    expect(sut.reopensAt).toBe(openedAt + COOLDOWN);
  });

  it('lets exactly one trial call through once the cooldown is over', () => {
    const { sut, open, pass } = setup();
    open();
    pass(COOLDOWN);

    expect(sut.state).toBe('half_open');
    expect(sut.tryAcquire()).toBe(true);
    expect(sut.tryAcquire()).toBe(false);
  });

  it('closes when the trial call succeeds', () => {
    const { sut, open, pass } = setup();
    open();
    pass(COOLDOWN);
    sut.tryAcquire();
    sut.succeeded();

    expect(sut.state).toBe('closed');
    expect(sut.tryAcquire()).toBe(true);
    expect(sut.tryAcquire()).toBe(true);
  });

  it('reopens for a new cooldown when the trial call fails', () => {
    const { sut, clock, open, pass } = setup();
    open();
    pass(COOLDOWN);
    sut.tryAcquire();
    sut.failed();

    expect(sut.state).toBe('open');
    expect(sut.reopensAt).toBe(clock.now + COOLDOWN);
    expect(sut.tryAcquire()).toBe(false);
    pass(COOLDOWN - 1);
    expect(sut.tryAcquire()).toBe(false);
    pass(1);
    expect(sut.tryAcquire()).toBe(true);
  });

  it('frees the trial slot when the trial says nothing of the target', () => {
    const { sut, open, pass } = setup();
    open();
    pass(COOLDOWN);
    sut.tryAcquire();
    sut.released();

    expect(sut.state).toBe('half_open');
    expect(sut.tryAcquire()).toBe(true);
    expect(sut.tryAcquire()).toBe(false);
  });

  it('takes new settings and keeps its count of failures', () => {
    const { sut } = setup(5);
    sut.failed();

    sut.update({ failures: 2, cooldownMs: COOLDOWN });
    sut.failed();

    expect(sut.state).toBe('open');
  });
});
