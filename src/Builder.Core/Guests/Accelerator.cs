namespace Builder.Guests;

/// <summary>How the appliance's virtual machine is accelerated. Auto probes once and caches the answer.</summary>
public enum Accelerator { Auto, Kvm, Tcg }
