export {};
//# sourceMappingURL=redis-faults.spec.d.ts.map