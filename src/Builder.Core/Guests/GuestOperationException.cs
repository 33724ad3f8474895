namespace Builder.Guests;

/// <summary>A guest operation failed: the backend's own message, and the operation and path it was for.</summary>
public sealed class GuestOperationException(string operation, string? path, string message, Exception? inner = null)
    : Exception(path is null ? $"{operation}: {message}" : $"{operation} {path}: {message}", inner)
{
    public string Operation { get; } = operation;
    public string? GuestPath { get; } = path;
    public string BackendMessage { get; } = message;
}
