namespace Builder.Diagnostics;

/// <summary>Every diagnostic code, in one place so they stay unique and documented.</summary>
public static class DiagnosticCodes
{
    public const string UnreadableFile = "B001";
    public const string YamlSyntax = "B002";
    public const string NotOneDocument = "B003";
    public const string TooComplex = "B004";

    public const string UnknownKey = "B010";
    public const string MissingKey = "B011";
    public const string WrongType = "B012";
    public const string DuplicateKey = "B013";

    public const string UnknownStep = "B020";
    public const string BadStepShape = "B021";

    public const string InvalidValue = "B030";
    public const string MissingFile = "B031";
    public const string ConflictingOptions = "B032";
    public const string OutsideInput = "B033";

    public const string ConflictingSteps = "B040";
    public const string SecretUnavailable = "B041";

    public const string MissingTemplate = "B050";

    // virt-builder indexes and repos.d configuration.
    public const string IndexSyntax = "B060";
    public const string IndexRepeatedField = "B061";
    public const string IndexMissingField = "B062";
    public const string IndexInvalidValue = "B063";
    public const string IndexFileNotRelative = "B064";
    public const string IndexDuplicateEntry = "B065";
    public const string IndexIgnoredField = "B066";
    public const string RepositoryConfiguration = "B067";
}
