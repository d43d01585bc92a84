export {};
//# sourceMappingURL=glob.spec.d.ts.map