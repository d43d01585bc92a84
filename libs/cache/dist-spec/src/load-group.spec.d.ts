export {};
//# sourceMappingURL=load-group.spec.d.ts.map